// Listening sockets: `ss -ltnup` (iproute2). Rows are whitespace-separated up
// to the peer column; the process column (absent without root) holds
// users:(("name",pid=N,fd=M),...) and names may contain spaces.
import { ProblemLog, type Origin, type ParseResult } from './types.js';

export interface ListenerRecord extends Origin {
  netid: 'tcp' | 'udp' | string;
  state: string;
  /** "0.0.0.0", "127.0.0.1", "*", "[::]", "[::1]", "127.0.0.53%lo" */
  address: string;
  port: number;
  /** "0.0.0.0:8000" as printed */
  local: string;
  /** empty when ss could not see the owning processes (not root) */
  processes: { name: string; pid: number; fd: number | null }[];
}

const PROCESS_RE = /\("((?:[^"\\]|\\.)*)",pid=(\d+)(?:,fd=(\d+))?\)/g;

function splitLocal(local: string): { address: string; port: number } | null {
  const i = local.lastIndexOf(':');
  if (i <= 0) return null;
  const portText = local.slice(i + 1);
  if (!/^\d+$/.test(portText)) return null;
  const port = Number(portText);
  if (port > 65535) return null;
  return { address: local.slice(0, i), port };
}

function guessNetid(state: string): string {
  // Without -u (or with only one protocol) ss drops the Netid column.
  return state === 'UNCONN' ? 'udp' : 'tcp';
}

export function parseSs(text: string, source: string): ParseResult<ListenerRecord> {
  const problems = new ProblemLog();
  const records: ListenerRecord[] = [];
  const lines = text.split(/\r?\n/);
  let hasNetid: boolean | null = null;

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const lineNo = i + 1;
    const trimmed = line.trim();
    if (trimmed === '') continue;
    if (/^Netid\s+State\b/.test(trimmed)) {
      hasNetid = true;
      continue;
    }
    if (/^State\s+Recv-Q\b/.test(trimmed)) {
      hasNetid = false;
      continue;
    }
    const words = trimmed.split(/\s+/);
    const withNetid = hasNetid ?? /^(tcp|udp|raw|u_\w+|p_\w+|sctp|mptcp|nl|v_\w+|xdp|tipc)$/.test(words[0] ?? '');
    const fixed = withNetid ? 6 : 5;
    if (words.length < fixed) {
      problems.add(lineNo, 'truncated row: fewer columns than Netid/State/Recv-Q/Send-Q/Local/Peer');
      continue;
    }
    const [netid, state, recvQ, sendQ, local] = withNetid
      ? [words[0]!, words[1]!, words[2]!, words[3]!, words[4]!]
      : [guessNetid(words[0]!), words[0]!, words[1]!, words[2]!, words[3]!];
    if (!/^\d+$/.test(recvQ) || !/^\d+$/.test(sendQ)) {
      problems.add(lineNo, 'not a socket row (queue sizes are not numbers)');
      continue;
    }
    const addr = splitLocal(local);
    if (!addr) {
      problems.add(lineNo, `unreadable local address "${local}"`);
      continue;
    }
    const rest = words.slice(fixed).join(' ');
    const processes: ListenerRecord['processes'] = [];
    for (const m of rest.matchAll(PROCESS_RE)) {
      processes.push({ name: m[1]!.replace(/\\(.)/g, '$1'), pid: Number(m[2]), fd: m[3] !== undefined ? Number(m[3]) : null });
    }
    if (rest !== '' && processes.length === 0 && rest.includes('users:(')) {
      problems.add(lineNo, 'unreadable process column');
      continue;
    }
    records.push({ source, line: lineNo, netid, state, address: addr.address, port: addr.port, local, processes });
  }
  return problems.result(records);
}
