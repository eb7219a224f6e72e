// Lines built to make a redactor backtrack or rescan: each is 1 MB of one
// pattern a rule looks for. The redactors must get through them (the tests'
// own time limit is the bound) and hand back a line of about the same size.
const MB = 1024 * 1024;

export const HOSTILE: [string, string][] = [
  ['tool words', 'mysql -pX '.repeat(MB / 10)],
  ['tool arguments', 'mysql ' + '-u x '.repeat(MB / 5)],
  ['naming fields', '{"key":"password",'.repeat(MB / 18)],
  ['naming fields without braces', '"key":"password" '.repeat(MB / 17)],
  ['value fields', '{"key":"password"' + ',"value":"x"'.repeat(MB / 12)],
  ['mid-line names', 'x ' + 'password: '.repeat(MB / 10)],
  ['basic credentials', 'Basic QUJDRA== '.repeat(MB / 15)],
  ['digest responses', 'Digest response='.repeat(MB / 16)],
  ['authorization schemes', 'Authorization: Digest '.repeat(MB / 22)],
  ['key bodies', '-----BEGIN RSA PRIVATE KEY-----\\n' + 'QUJD\\n'.repeat(MB / 6)],
  ['escaped separators', '-----BEGIN PRIVATE KEY-----' + '\\n'.repeat(MB / 2)],
  ['backslashes', '"password":' + '\\'.repeat(MB)],
  ['a key id and a long run', 'AKIAABCDEFGHIJKLMNOP ' + 'a'.repeat(MB)],
  ['argv lists', '"--password", '.repeat(MB / 15)],
  ['XML elements', '<password>'.repeat(MB / 10)],
  ['qualified keys', 'API key: '.repeat(MB / 9)],
  ['no blank at all', 'x'.repeat(MB)],
];
