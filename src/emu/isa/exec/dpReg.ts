// Executors for data processing (register).

export const DP_REG_EXEC = {};
