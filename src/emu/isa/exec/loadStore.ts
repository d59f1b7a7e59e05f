// Executors for loads and stores. Every access happens before any register is written, so a fault leaves
// the registers as they were (the exception is precise).

export const LOAD_STORE_EXEC = {};
