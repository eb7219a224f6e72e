// Which files a command line runs: the scripts behind a timer's ExecStart=,
// an ExecStartPost= or a cron job, so that the collector can copy them and
// the analysis can read what a health check really does. Pure, and written so
// that the collection script's awk (src/collect/script/body.sh) does exactly the
// same steps: quotes dropped, shell operators as command separators, words
// split on blanks, then only the words in command position looked at.
//
// What counts: an absolute path in command position (`/usr/local/bin/x.sh`,
// `A=1 /opt/x`, `exec /x`, `timeout 10 /x`, `... || /x`), the script argument
// of a shell or an interpreter (`sh /x`, `bash -e /x`, `/usr/bin/env bash /x`,
// `python3 /x.py`) and the commands of `sh -c '...'`. Never a path that is
// only an argument (`test -x /usr/sbin/anacron`), a relative name or one with
// shell expansions in it.

const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'ksh', 'mksh', 'zsh', 'busybox']);
const INTERPRETER = /^(?:python[0-9.]*|perl[0-9.]*|ruby[0-9.]*|node|nodejs|php[0-9.]*|lua[0-9.]*|tclsh[0-9.]*)$/;
// Words that leave the next word in command position.
const PREFIXES = new Set(['exec', 'nohup', 'nice', 'sudo', 'command', 'time', 'if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', 'setsid', 'env', 'timeout', 'ionice', 'chrt']);
const PATH_WORD = /^\/[A-Za-z0-9._+@/-]*[A-Za-z0-9._+@-]$/;
const NOT_FILES = /^\/(?:dev|proc|sys)\//;

/** The command text as words, with `;` standing for every separator. Also the awk's steps, one for one. */
export function commandWords(command: string): string[] {
  // Quotes go without splitting a word (conf="/etc/x.conf" stays one assignment); a ${...} expansion is no path.
  const s = command
    .replace(/["']/g, '')
    .replace(/\$\{[^}]*\}/g, '$V')
    .replace(/\$\(/g, ' ; ')
    .replace(/[;&|()`{}\n\r]/g, ' ; ');
  return s.split(/[ \t]+/).filter((w) => w !== '');
}

function basename(w: string): string {
  return w.slice(w.lastIndexOf('/') + 1);
}

/** Absolute paths of the programs and scripts a command line runs (in order, without repeats). */
export function commandPaths(command: string): string[] {
  const out: string[] = [];
  const emit = (w: string) => {
    if (PATH_WORD.test(w) && !NOT_FILES.test(w) && !out.includes(w)) out.push(w);
  };
  let state: 'cmd' | 'shell' | 'interp' | 'args' = 'cmd';
  for (const w of commandWords(command)) {
    if (w === ';') {
      state = 'cmd';
      continue;
    }
    if (state === 'args') continue;
    if (state === 'cmd') {
      if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(w) || PREFIXES.has(w) || w.startsWith('-') || /^[0-9]+(?:\.[0-9]+)?[smhd]?$/.test(w)) continue;
      const base = basename(w);
      // `. FILE` and `source FILE` run FILE as part of the script, as `sh FILE` would.
      if (SHELLS.has(base) || w === '.' || w === 'source') state = 'shell';
      else if (INTERPRETER.test(base)) state = 'interp';
      else if (base === 'env') state = 'cmd';
      else {
        emit(w);
        state = 'args';
      }
      continue;
    }
    if (state === 'shell') {
      if (/^-[A-Za-z]*c[A-Za-z]*$/.test(w)) state = 'cmd';
      else if (w.startsWith('-') || w.startsWith('+') || SHELLS.has(w)) continue;
      else {
        emit(w);
        state = 'args';
      }
      continue;
    }
    // An interpreter: -c/-e code and -m modules are not files.
    if (w === '-c' || w === '-e' || w === '-E' || w === '-m') state = 'args';
    else if (w.startsWith('-')) continue;
    else {
      emit(w);
      state = 'args';
    }
  }
  return out;
}

/** A script's own lines as commands: comments dropped (a `#` at the start of a word starts one). */
export function scriptCommandLines(text: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const code = lines[i]!.replace(/(^|[ \t])#.*$/, '$1');
    if (code.trim() !== '') out.push({ line: i + 1, text: code.replace(/\r$/, '') });
  }
  return out;
}

/**
 * The interpreter a `#!` line names (`#!/usr/bin/env bash` names bash), or
 * null without one: a file without it is run by a shell.
 */
export function shebangInterpreter(text: string): string | null {
  const first = text.slice(0, text.indexOf('\n') === -1 ? text.length : text.indexOf('\n'));
  if (!first.startsWith('#!')) return null;
  const words = first.slice(2).split(/[ \t]+/).filter((w) => w !== '');
  let i = 0;
  if (words[0] !== undefined && basename(words[0]) === 'env') {
    i = 1;
    while (words[i] !== undefined && words[i]!.startsWith('-')) i++;
  }
  return words[i] !== undefined ? basename(words[i]!) : '';
}

/** Paths a shell script runs, from every line of it; a script in another language (perl, python) is not read as shell. */
export function scriptPaths(text: string): string[] {
  const interpreter = shebangInterpreter(text);
  if (interpreter !== null && !SHELLS.has(interpreter)) return [];
  const out: string[] = [];
  for (const l of scriptCommandLines(text)) for (const p of commandPaths(l.text)) if (!out.includes(p)) out.push(p);
  return out;
}

/** A file's first bytes say it is a program, not text: ELF, or any NUL byte. */
export function binaryKind(head: Uint8Array): string | null {
  if (head.length >= 4 && head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46) return 'ELF executable';
  return head.includes(0) ? 'binary data (NUL bytes)' : null;
}

/** Unit files as the collector copied them: what their timers run, and every ExecStartPost=. */
export function unitScriptCommands(units: { devicePath: string; text: string }[]): string[] {
  const nameOf = (p: string): string => {
    const parts = p.split('/');
    const file = parts[parts.length - 1]!;
    // A drop-in belongs to the unit its directory names.
    return file.endsWith('.conf') && parts.length >= 2 ? parts[parts.length - 2]!.replace(/\.d$/, '') : file;
  };
  const values = (text: string, key: string): string[] => {
    const out: string[] = [];
    const re = new RegExp(`^[ \\t]*${key}[ \\t]*=[ \\t]*(.*)$`);
    for (const line of text.split('\n')) {
      const m = re.exec(line.replace(/\r$/, ''));
      if (m && m[1]!.trim() !== '') out.push(m[1]!.replace(/^[-@:+!]+/, '').trim());
    }
    return out;
  };
  const timed = new Set<string>();
  for (const u of units) {
    const name = nameOf(u.devicePath);
    if (!u.devicePath.endsWith('.timer')) continue;
    const target = values(u.text, 'Unit').pop();
    timed.add(target ?? name.replace(/\.timer$/, '.service'));
  }
  const out: string[] = [];
  for (const u of units) {
    const name = nameOf(u.devicePath);
    if (!name.endsWith('.service')) continue;
    if (timed.has(name)) out.push(...values(u.text, 'ExecStart'));
    out.push(...values(u.text, 'ExecStartPost'));
  }
  return out;
}
