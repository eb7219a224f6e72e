// Every command checks input with zod schemas, each once or a few times per run: zod's
// compiled fast path (new Function per schema) costs more to build than it saves then.
// A module of its own so main.ts imports it lazily, yet statically names the one zod
// export it uses: a dynamic import of zod itself would keep all of zod in the bundle.
import { config } from './zod.js';

config({ jitless: true });
