import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUILTIN_CHAT_TEMPLATES, resolveChatTemplate, writeChatTemplate } from '../../../electron/engine/run/chat-template.js';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dir.js';

afterAll(removeTempDirs);

async function modelWith(root: string, name: string, template?: string): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir);
  if (template !== undefined) await writeFile(join(dir, 'tokenizer_config.json'), JSON.stringify({ chat_template: template, eos_token: '</s>' }));
  return dir;
}

describe('chat_template', () => {
  it('names built-ins: chatml uses im_start markers, llama3 header ids, alpaca ### Instruction, mistral [INST]', async () => {
    expect(await resolveChatTemplate('chatml', [])).toContain('<|im_start|>');
    expect(await resolveChatTemplate('llama3', [])).toContain('<|start_header_id|>');
    expect(await resolveChatTemplate('alpaca', [])).toContain('### Instruction:');
    expect(await resolveChatTemplate('mistral', [])).toContain('[INST]');
  });

  it('auto picks the template most common among the inputs', async () => {
    const root = await makeTempDir('chat');
    const folders = [await modelWith(root, 'a', 'T1'), await modelWith(root, 'b', 'T2'), await modelWith(root, 'c', 'T2'), await modelWith(root, 'd')];
    expect(await resolveChatTemplate('auto', folders)).toBe('T2');
    expect(await resolveChatTemplate('auto', [folders[3]])).toBeUndefined();
  });

  it('passes a Jinja template through, refuses an unknown name', async () => {
    expect(await resolveChatTemplate('{{ messages }}', [])).toBe('{{ messages }}');
    await expect(resolveChatTemplate('vicuna', [])).rejects.toThrow(/chat_template 'vicuna'/);
  });

  it('writes into tokenizer_config.json, keeping its other keys', async () => {
    const root = await makeTempDir('chat-write');
    const dir = await modelWith(root, 'out', 'old');
    await writeChatTemplate(dir, BUILTIN_CHAT_TEMPLATES.chatml);
    const config = JSON.parse(await readFile(join(dir, 'tokenizer_config.json'), 'utf8'));
    expect(config.chat_template).toBe(BUILTIN_CHAT_TEMPLATES.chatml);
    expect(config.eos_token).toBe('</s>');
  });
});
