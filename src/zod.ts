// zod/mini, the functional form of zod (z.optional(z.number().check(z.int())) where the classic
// API chains z.number().int().optional()): a bundle keeps only the zod functions the schemas call,
// where the classic API brings all of zod and builds every schema with its fifty methods, at every
// start of the CLI.
//
// zod/mini loads no messages of its own ("Invalid input" for everything), where the classic API
// loaded English: config, manifest and expected.json errors and the analysis JSON's problem
// reasons quote zod's words, so English is installed here, by the one module all schemas import.
import { config, locales } from 'zod/mini';

config(locales.en());

export * from 'zod/mini';
