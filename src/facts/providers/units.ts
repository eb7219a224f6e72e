// systemd's configuration and state: unit files with their drop-ins, systemctl
// show, list-units, list-timers; list-unit-files is read for the source list
// alone (its records and parse problems), enablement being in the unit files.
import { devicePathOf } from '../../bundle/sources.js';
import { loadUnitFiles, type UnitFileInput } from '../../parse/unit-file.js';
import { parseSystemctlShow } from '../../parse/systemctl-show.js';
import { parseListUnits } from '../../parse/systemctl-list-units.js';
import { parseListUnitFiles } from '../../parse/systemctl-list-unit-files.js';
import { parseListTimers } from '../../parse/systemctl-list-timers.js';
import type { FactKind } from '../types.js';
import type { Provider } from './types.js';

export const unitsProvider: Provider = {
  name: 'units',
  reads: ['unit-files', 'unit-props', 'units', 'unit-files-state', 'timers'],
  provides: [
    {
      kind: 'unit-config',
      from: [{ source: 'unit-props', what: 'systemctl show output' }],
      reason: ([show]) => `no unit files under files/*/systemd/system and ${show}`,
    },
    { kind: 'unit-state', from: [{ source: 'units', what: 'systemctl list-units output' }] },
  ],
  async run(ctx, draft) {
    const inputs: UnitFileInput[] = [];
    for (const e of ctx.ok('unit-files')) inputs.push({ devicePath: devicePathOf(e.path!) ?? e.path!, bundlePath: e.path!, text: await ctx.text(e) });
    const unitFiles = loadUnitFiles(inputs);
    for (const e of ctx.ok('unit-files')) {
      const problems = unitFiles.problems.filter((p) => p.source === e.path);
      ctx.note(e, { records: 1, skipped: problems.length, problems: problems.map(({ line, reason }) => ({ line, reason })) });
    }
    draft.unitFiles = unitFiles.units;

    const show = ctx.first('unit-props');
    if (show) {
      const r = parseSystemctlShow(await ctx.text(show), show.path!);
      ctx.note(show, { records: r.records.length, skipped: r.skipped, problems: r.problems });
      draft.props = r.records;
    }
    const listUnits = ctx.first('units');
    if (listUnits) {
      const r = parseListUnits(await ctx.text(listUnits), listUnits.path!);
      ctx.note(listUnits, { records: r.records.length, skipped: r.skipped, problems: r.problems });
      draft.unitStates = r.records;
    }
    const listUnitFiles = ctx.first('unit-files-state');
    if (listUnitFiles) {
      const r = parseListUnitFiles(await ctx.text(listUnitFiles), listUnitFiles.path!);
      ctx.note(listUnitFiles, { records: r.records.length, skipped: r.skipped, problems: r.problems });
    }
    const listTimers = ctx.first('timers');
    if (listTimers) {
      const r = parseListTimers(await ctx.text(listTimers), listTimers.path!);
      ctx.note(listTimers, { records: r.records.length, skipped: r.skipped, problems: r.problems });
      draft.timers = r.records;
    }

    const present: FactKind[] = [];
    if (draft.unitFiles.length > 0 || draft.props.length > 0) present.push('unit-config');
    if (draft.unitStates.length > 0 || draft.props.length > 0) present.push('unit-state');
    return { present };
  },
};
