// The Restart= drop-in proposed for a service that stays down once it exits.
import type { Finding } from '../../analysis/schema.js';
import type { ProposedArtifact } from '../define.js';
import { freeDropIn, RESTART_SEC, shq, START_LIMIT_BURST, START_LIMIT_INTERVAL_SEC, UNIT_DIR, writeFile, type ArtifactKit } from '../../analysis/artifact-kit.js';
import type { NoRestartParams } from './params.js';

export function restartArtifacts(f: Finding, p: NoRestartParams, { ap, taken }: ArtifactKit): ProposedArtifact[] {
  const unit = p.unit;
  if (!/^[A-Za-z0-9:_.@\\-]+\.service$/.test(unit)) return [];
  const applied = ap.unit(unit);
  const dir = `${UNIT_DIR}/${applied}.d`;
  const { file, existing } = freeDropIn(taken, dir, '10-restart.conf');
  const content = [
    '[Unit]',
    `StartLimitIntervalSec=${START_LIMIT_INTERVAL_SEC}`,
    `StartLimitBurst=${START_LIMIT_BURST}`,
    '',
    '[Service]',
    'Restart=always',
    `RestartSec=${RESTART_SEC}`,
  ].join('\n') + '\n';
  return [{
    kind: 'drop-in',
    subject: f.subject,
    path: file,
    content,
    params: {
      unit,
      setting: 'restart',
      restart: p.restart,
      restartSec: RESTART_SEC,
      startLimitIntervalSec: START_LIMIT_INTERVAL_SEC,
      startLimitBurst: START_LIMIT_BURST,
      ...(existing ? { exists: { path: existing, instead: 'renamed' } } : {}),
    },
    steps: [
      { id: 'write-file', command: `sudo mkdir -p ${shq(dir)}\n${writeFile(file, content)}` },
      { id: 'daemon-reload', command: 'sudo systemctl daemon-reload' },
      { id: 'check-setting', command: `systemctl show ${shq(applied)} -p Restart -p RestartUSec -p StartLimitBurst -p StartLimitIntervalUSec` },
    ],
  }];
}
