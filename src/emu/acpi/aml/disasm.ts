export function disassembleAml(_t: Uint8Array): { asl: string; errors: string[] } { return { asl: '', errors: [] }; }
