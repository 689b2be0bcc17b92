// The optional LLM's configuration: off unless a base URL is set, validated like every other variable.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';
import { TEST_MASTER_KEY } from './testing.ts';

const dir = mkdtempSync(join(tmpdir(), 'zhike-llm-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const load = (env: Record<string, string>) =>
  loadConfig({
    ZHIKE_DATA_DIR: dir,
    ZHIKE_MASTER_KEY: TEST_MASTER_KEY,
    ZHIKE_SECRET: 's'.repeat(40),
    ...env,
  });
const problems = (env: Record<string, string>): string[] => {
  try {
    load(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
};

describe('LLM configuration', () => {
  it('is off by default', () => {
    expect(load({}).llm).toBeNull();
  });

  it('reads base URL, key, model and timeouts; a localhost model (Ollama) is fine', () => {
    expect(
      load({
        ZHIKE_LLM_BASE_URL: 'http://localhost:11434/v1/',
        ZHIKE_LLM_MODEL: 'qwen2.5:7b',
        ZHIKE_LLM_TIMEOUT_MS: '20000',
      }).llm,
    ).toEqual({
      baseUrl: 'http://localhost:11434/v1',
      apiKey: null,
      model: 'qwen2.5:7b',
      timeoutMs: 20000,
      firstTokenTimeoutMs: 4000,
    });
    expect(
      load({
        ZHIKE_LLM_BASE_URL: 'https://api.deepseek.com/v1',
        ZHIKE_LLM_API_KEY: 'sk-abc',
        ZHIKE_LLM_MODEL: 'deepseek-chat',
        ZHIKE_LLM_TIMEOUT_MS: '2000',
      }).llm,
    ).toMatchObject({ apiKey: 'sk-abc', timeoutMs: 2000, firstTokenTimeoutMs: 2000 });
  });

  it('refuses a missing model, a URL that is not http(s) and timeouts out of range', () => {
    expect(problems({ ZHIKE_LLM_BASE_URL: 'https://api.deepseek.com/v1' })).toEqual([
      'ZHIKE_LLM_MODEL is required with ZHIKE_LLM_BASE_URL',
    ]);
    expect(problems({ ZHIKE_LLM_BASE_URL: 'ftp://models', ZHIKE_LLM_MODEL: 'm' })).toEqual([
      'ZHIKE_LLM_BASE_URL must be an http(s) URL',
    ]);
    const bad = problems({
      ZHIKE_LLM_BASE_URL: 'http://127.0.0.1:8000/v1',
      ZHIKE_LLM_MODEL: 'm',
      ZHIKE_LLM_TIMEOUT_MS: '90000',
      ZHIKE_LLM_FIRST_TOKEN_MS: 'soon',
    });
    expect(bad).toHaveLength(2);
    expect(bad[0]).toContain('ZHIKE_LLM_TIMEOUT_MS');
    expect(bad[1]).toContain('ZHIKE_LLM_FIRST_TOKEN_MS');
  });
});
