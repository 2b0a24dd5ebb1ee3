import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['*/test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    env: { LUMBUNG_LOG_LEVEL: process.env.LUMBUNG_LOG_LEVEL ?? 'silent' },
  },
});
