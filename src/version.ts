// The tool's name and version as every output records them. Read from
// package.json at build time would need a JSON import; one literal is simpler
// and a test keeps it equal to package.json.
export const TOOL = { name: 'charger-diag', version: '0.1.0' } as const;
