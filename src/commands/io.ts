// Where a command writes: data (the analysis, reports, the paths written) to
// stdout, progress and the one-line errors to stderr. The bin passes the
// process's own streams; a caller running the CLI in process (src/main.ts)
// passes its own, so nothing a command prints escapes it.
export interface CliIo {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr };
}
