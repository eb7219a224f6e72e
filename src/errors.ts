/**
 * Bad usage or unusable input: the CLI prints `charger-diag: <message>` on one
 * line and exits 2. The message names the file and what is wrong.
 */
export class InputError extends Error {
  constructor(message: string) {
    // The message goes to a terminal on one line; a hostile file name must not
    // be able to forge extra lines, so control characters are made visible.
    super(oneLine(message));
    this.name = 'InputError';
  }
}

function oneLine(message: string): string {
  return message.replace(/[\u0000-\u001f\u007f]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}
