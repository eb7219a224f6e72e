// journal.volatile: the journal lives in RAM, so a reboot erases the evidence.
import { quote } from '../helpers.js';
import { defineRule } from '../define.js';
import { volatileParams } from './params.js';
import { messages } from './messages.js';

export const rule = defineRule({
  id: 'journal.volatile',
  severity: 'warning',
  needs: ['journald'],
  summary: 'The journal is not persistent: evidence is lost at reboot',
  docs: `Fires when journald keeps its journal only in memory: Storage=volatile (Raspberry Pi OS images
since mid-2025 ship this), Storage=none, or Storage=auto without /var/log/journal. Read from the
journald.conf files and drop-ins in /etc, /run and /usr/lib, and "ls -ld /var/log/journal
/run/log/journal"; when those are absent, from the manifest's host.journalStorage as the collector
determined it. After a crash that reboots the device, such a journal holds nothing from before.
Fix: a drop-in /etc/systemd/journald.conf.d/persistent.conf with [Journal] Storage=persistent and
SystemMaxUse=100M, then systemctl restart systemd-journald.`,
  params: volatileParams,
  messages,
  describe(p, { k }) {
    const state: string[] = [];
    if (p.configured) state.push(k('state.configured', { configured: `Storage=${p.configured}` }));
    return { title: k('title', { storage: p.storage || '?' }), state, fix: k('fix') };
  },
  run(facts) {
    const v = facts.journalStorage;
    const storage = v?.storage ?? facts.hostInfo.journalStorage;
    if (storage !== 'volatile' && storage !== 'none') return [];
    return [
      {
        subject: 'journal',
        params: { storage, configured: v?.configured ?? null, reason: v?.reason ?? 'the manifest records host.journalStorage as ' + storage },
        evidence:
          v && v.evidence.length
            ? quote(facts, v.evidence.map((e) => ({ ...e, epochMs: null })))
            : [{ source: 'manifest.json', line: null, time: null, text: `"journalStorage": "${storage}"` }],
      },
    ];
  },
});
