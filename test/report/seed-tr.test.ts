// The Turkish report of the outage this product was born from, read the way
// the engineer who receives it on a ticket reads it.
import { describe, it, expect, beforeAll } from 'vitest';
import { analyzeSample, render, section } from './render.js';

let md = '';
beforeAll(async () => {
  md = render(await analyzeSample('seed-incident'), { lang: 'tr' });
});

/** The fenced block right after a "`source:line` @ time" label. */
function quoted(label: string): string {
  const at = md.indexOf(label);
  if (at < 0) throw new Error(`not quoted: ${label}`);
  const m = /^\n\n(`{3,})text\n([\s\S]*?)\n\1$/m.exec(md.slice(at + label.length));
  if (!m) throw new Error(`no fence after ${label}`);
  return m[2]!;
}

describe('Turkish report of samples/seed-incident', () => {
  it('quotes the ExecStart= line of charger.service with its source and line', () => {
    expect(quoted('`files/etc/systemd/system/charger.service:10`')).toBe('ExecStart=/home/basar/env/bin/python /home/basar/charger/ocpp/main.py');
  });

  it('quotes the ps line of pid 165162 with source, line and time', () => {
    const line = quoted('`commands/ps.txt:106` @ 2025-12-10 01:15:00+03:00');
    expect(line).toMatch(/^165162 165128 basar Wed Dec 10 01:12:02 2025 .* \/home\/basar\/env\/bin\/uvicorn api\.main:app --host 0\.0\.0\.0 --port 8000$/);
  });

  it('gives the outage 01:10:00+03:00–01:12:00+03:00 and its 120 s duration', () => {
    expect(section(md, 'Özet')).toContain('**Kesinti:** 2025-12-10 01:10:00+03:00 – 01:12:00+03:00, 120 sn');
    const outage = section(md, 'Çökme Nedeni Analizi');
    expect(outage).toContain('**Tarih:** 2025-12-10 01:10:00+03:00 – 01:12:00+03:00');
    expect(outage).toContain('**Süre:** 120 sn');
  });

  it('labels the resource table as taken at collection, with a Normal verdict on every row', () => {
    const s = section(md, 'Çökme Nedeni Analizi');
    const start = s.indexOf('### Sistem Kaynakları (toplama anında alınan)');
    expect(start).toBeGreaterThan(-1);
    const block = s.slice(start, s.indexOf('\n### ', start + 5));
    expect(block).toContain('toplama anında (2025-12-10 01:15:00+03:00) alınmış');
    const rows = block.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Kaynak'));
    expect(rows.length).toBeGreaterThanOrEqual(5);
    for (const r of rows) expect(r.split(' | ')[4]).toBe('Normal');
    expect(rows.find((r) => r.startsWith('| Bellek'))).toContain('| 1,0 GiB | 3,7 GiB |');
    expect(block).toContain('**kaynak yetersizliği yok**');
  });

  it('says there was no OOM or segfault, naming the sources that were read', () => {
    const s = section(md, 'Çökme Nedeni Analizi');
    expect(s).toContain('**Yok.** — Okunan kaynaklarda (`commands/dmesg.txt`, `commands/journal.jsonl`) OOM kill, segfault');
    // and what could not be read: rsyslog files and coredumpctl were missing.
    expect(s).toMatch(/`syslog`: yok — `none of \/var\/log\/syslog/);
    expect(s).toMatch(/`coredumps`: yok — `coredumpctl: command not found`/);
  });

  it('marks the test-mock errors as noise', () => {
    expect(section(md, 'Çökme Nedeni Analizi')).toContain('`charger.service`: 4 hata satırı, bunlardan 4 tanesi test/mock gürültüsü olarak işaretli → **gürültü, kesintiyle ilgisi yok**');
    expect(section(md, 'Sorun Tespiti')).toMatch(/### 6\. `charger\.service` kaynağından 4 hata satırı \(tamamı test\/mock gürültüsü\)\n\n\*\*Bilgi\*\* · \*\*gürültü\*\*/);
  });

  it('answers "Tekrarlayacak mı?" with EVET and the rule ids behind it', () => {
    const s = section(md, 'Tekrarlayacak mı?');
    expect(s).toContain('**EVET**');
    for (const rule of ['process.unmanaged', 'service.no-restart', 'service.no-health-check']) expect(s).toContain(`- \`${rule}\` — `);
    expect(section(md, 'Özet')).toContain('**Tekrarlayacak mı? EVET**');
  });

  it('proposes a charger-api.service with User=basar, Restart=always, RestartSec=5 and its working directory', () => {
    const plan = section(md, 'Çözüm Planı');
    const unit = /`\/etc\/systemd\/system\/charger-api\.service`\n\n```ini\n([\s\S]*?)\n```/.exec(plan)![1]!;
    expect(unit.split('\n')).toEqual(
      expect.arrayContaining(['User=basar', 'Restart=always', 'RestartSec=5', 'WorkingDirectory=/home/basar/charger', 'StartLimitBurst=5', 'StartLimitIntervalSec=300']),
    );
    expect(unit).toContain('ExecStart=/home/basar/env/bin/python3 /home/basar/env/bin/uvicorn api.main:app --host 0.0.0.0 --port 8000');
  });

  it('stops pid 165162 before systemctl enable --now', () => {
    const steps = section(md, 'Uygulama Adımları');
    const kill = steps.indexOf('```sh\nsudo kill 165162\n```');
    const wait = steps.indexOf('ss -Hltn "sport = :8000"');
    const enable = steps.indexOf('sudo systemctl enable --now charger-api.service');
    expect(kill).toBeGreaterThan(-1);
    expect(wait).toBeGreaterThan(kill);
    expect(enable).toBeGreaterThan(wait);
    expect(steps.indexOf('sudo systemctl daemon-reload')).toBeLessThan(kill);
    expect(steps).toContain('“address already in use”');
  });

  it('states the API’s cause of death as unknown, says what was read, and quotes the session scope that emptied', () => {
    const why = section(md, 'Neden Oldu?');
    expect(why).toContain('**[bilinmiyor]** Port `8000` üzerindeki sunucu sürecinin kesintinin başında neden sonlandığı paketin hiçbir yerinde kayıtlı değil');
    expect(why).toContain('Bunun için okunanlar: `commands/dmesg.txt`, `commands/journal.jsonl`, `files/home/basar/charger/nohup.out`, `files/var/log/ngrok/ngrok.log`.');
    expect(why).toContain('`session-2.scope` oturum kapsamı 2025-12-10 01:09:58+03:00 tarihinde boşaldı, yani ilk kesinti sinyalinden 2 sn önce');
    expect(quoted('`commands/journal.jsonl:14` @ 2025-12-10 01:09:58+03:00')).toBe('session-2.scope: Deactivated successfully.');
    expect(section(md, 'Özet')).toContain('**Bilinmiyor:** port `8000` üzerindeki sunucu sürecinin');
  });

  it('ranks the unmanaged server behind ngrok’s refused connections as the cause, with high confidence', () => {
    const why = section(md, 'Neden Oldu?');
    expect(why).toMatch(/\*\*1\. \[güven: yüksek\]\*\* Port `8000` üzerindeki sunucuyu systemd yönetmiyor/);
    expect(why).toContain('Dayanak: `process.unmanaged`, `proxy.upstream-errors` (bulgu 1, 5).');
    expect(why).toContain('`commands/journal.jsonl:66` @ 2025-12-10 01:11:35+03:00');
  });

  it('marks what only a person can fill in', () => {
    const s = section(md, 'Sonuç');
    for (const k of ['Sorumlu', 'Müşteri etkisi', 'İyi giden', 'Kötü giden', 'Aksiyonlar']) expect(s).toMatch(new RegExp(`- \\*\\*${k}[^*]*:\\*\\* _bir kişi tarafından doldurulacak_`));
  });
});
