/**
 * A recipe's `chat_template` written into the output's tokenizer_config.json (mergekit's rule):
 * a built-in name (chatml, llama3, alpaca, mistral), `auto` (the template most common among the
 * inputs' tokenizer_config.json files, first in input order on a tie), or a Jinja template itself.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../io/types.js';

export const BUILTIN_CHAT_TEMPLATES: Readonly<Record<string, string>> = {
  chatml:
    "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}",
  llama3:
    "{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}",
  alpaca:
    "{{ bos_token }}{% for message in messages %}{% if message['role'] == 'system' %}{{ message['content'] + '\\n\\n' }}{% elif message['role'] == 'user' %}{{ '### Instruction:\\n' + message['content'] + '\\n\\n' }}{% elif message['role'] == 'assistant' %}{{ '### Response:\\n' + message['content'] + eos_token + '\\n\\n' }}{% endif %}{% endfor %}{% if add_generation_prompt %}{{ '### Response:\\n' }}{% endif %}",
  mistral:
    "{{ bos_token }}{% for message in messages %}{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}{% elif message['role'] == 'assistant' %}{{ message['content'] + eos_token }}{% endif %}{% endfor %}",
};

async function readTemplate(folder: string): Promise<string | undefined> {
  const file = join(folder, 'tokenizer_config.json');
  if (!existsSync(file)) return undefined;
  try {
    const t = (JSON.parse(await readFile(file, 'utf8')) as { chat_template?: unknown }).chat_template;
    return typeof t === 'string' ? t : undefined;
  } catch {
    return undefined;
  }
}

/** The template text for a recipe's chat_template, or undefined when `auto` finds none. */
export async function resolveChatTemplate(spec: string, inputFolders: string[]): Promise<string | undefined> {
  const builtin = BUILTIN_CHAT_TEMPLATES[spec];
  if (builtin) return builtin;
  if (spec === 'auto') {
    const counts = new Map<string, number>();
    for (const f of inputFolders) {
      const t = await readTemplate(f);
      if (t !== undefined) counts.set(t, (counts.get(t) ?? 0) + 1);
    }
    let best: string | undefined;
    for (const [t, n] of counts) if (best === undefined || n > counts.get(best)!) best = t;
    return best;
  }
  if (spec.includes('{{') || spec.includes('{%')) return spec;
  throw new InputError(`chat_template '${spec}' is neither a built-in (${Object.keys(BUILTIN_CHAT_TEMPLATES).join(', ')}, auto) nor a Jinja template`);
}

/** Sets chat_template in folder/tokenizer_config.json (creating the file when the tokenizer files had none). */
export async function writeChatTemplate(folder: string, template: string): Promise<void> {
  const file = join(folder, 'tokenizer_config.json');
  let config: Record<string, unknown> = {};
  if (existsSync(file)) {
    try {
      config = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    } catch {
      config = {};
    }
  }
  config.chat_template = template;
  await writeFile(file, JSON.stringify(config, null, 2) + '\n');
}
