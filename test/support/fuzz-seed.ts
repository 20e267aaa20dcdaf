// The seed of the property-based fuzzers: fixed, so every run sends the same requests; set
// PARLEY_FUZZ_SEED to replay the run a failure names, or to explore another one.
export const fuzzSeed = Number(process.env.PARLEY_FUZZ_SEED ?? 20_261_207);
