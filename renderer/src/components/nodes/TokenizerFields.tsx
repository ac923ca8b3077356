/**
 * Tokenizer settings (mergekit's tokenizer_source and chat_template): where the tokenizer files are
 * copied from, and the chat template written into tokenizer_config.json. On the Output node, and on
 * a merge node for its result as a stage of a chain (`stage`: its fields are named "Stage …").
 */
import { useState } from 'react';
import { CHAT_TEMPLATE_NAMES, type TokenizerSettings } from '../../../../common/graph/project-schema.js';
import { useEditor } from '../../state/editor-store.js';
import { PathField } from '../PathField.js';

const DEFAULT = '';
const OTHER = '\u0000other';
const CUSTOM = '\u0000custom';

interface Props {
  data: TokenizerSettings;
  update: (patch: Partial<TokenizerSettings>, key: string) => void;
  /** A merge node's own settings (its result as a stage), not the Output's. */
  stage?: boolean;
}

/** Model paths in the graph, joined (a stable string for the store selector). */
function useModelPaths(): string[] {
  const joined = useEditor((s) =>
    s.nodes
      .flatMap((n) => (n.data.kind === 'model' && n.data.path.trim() ? [n.data.path] : []))
      .join('\u0000'),
  );
  return joined === '' ? [] : [...new Set(joined.split('\u0000'))];
}

export function TokenizerFields({ data, update, stage = false }: Props) {
  const name = (field: string): string => (stage ? `Stage ${field.toLowerCase()}` : field);
  const models = useModelPaths();
  // Chosen "another folder…" / "custom Jinja…" before anything was typed there.
  const [otherPicked, setOtherPicked] = useState(false);
  const [customPicked, setCustomPicked] = useState(false);
  const source = data.tokenizerSource ?? DEFAULT;
  const known = !otherPicked && (source === DEFAULT || source === 'base' || source === 'union' || models.includes(source));
  const template = data.chatTemplate ?? DEFAULT;
  const builtIn = !customPicked && (template === DEFAULT || (CHAT_TEMPLATE_NAMES as readonly string[]).includes(template));
  return (
    <>
      <label className="field">
        Tokenizer
        <select
          className="nodrag"
          aria-label={name('Tokenizer source')}
          value={known ? source : OTHER}
          onChange={(e) => {
            const v = e.target.value;
            setOtherPicked(v === OTHER);
            if (v !== OTHER) update({ tokenizerSource: v === DEFAULT ? undefined : v }, 'tokenizer');
          }}
        >
          <option value={DEFAULT}>as the base model</option>
          <option value="base">base (the base model’s)</option>
          {models.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
          <option value="union">union (not supported yet)</option>
          <option value={OTHER}>another folder…</option>
        </select>
      </label>
      {!known && <PathField label={name('Tokenizer folder')} value={source} placeholder="/path/to/model folder" onCommit={(p) => update({ tokenizerSource: p.trim() === '' ? undefined : p }, 'tokenizer-path')} />}
      {source === 'union' && (
        <div className="node-note" role="note">
          Tokenizer source ‘union’ is kept in the graph and exported, but refused at run time: not supported yet.
        </div>
      )}
      <label className="field">
        Chat template
        <select
          className="nodrag"
          aria-label={name('Chat template')}
          value={builtIn ? template : CUSTOM}
          onChange={(e) => {
            const v = e.target.value;
            setCustomPicked(v === CUSTOM);
            if (v !== CUSTOM) update({ chatTemplate: v === DEFAULT ? undefined : v }, 'chat-template');
          }}
        >
          <option value={DEFAULT}>the tokenizer’s own</option>
          {CHAT_TEMPLATE_NAMES.map((t) => (
            <option key={t} value={t}>
              {t === 'auto' ? 'auto (most common among the inputs)' : t}
            </option>
          ))}
          <option value={CUSTOM}>custom Jinja…</option>
        </select>
      </label>
      {!builtIn && (
        <textarea
          className="nodrag node-jinja"
          aria-label={name('Custom chat template (Jinja)')}
          rows={3}
          value={template}
          placeholder="{% for message in messages %}…"
          onChange={(e) => update({ chatTemplate: e.target.value === '' ? undefined : e.target.value }, 'chat-template-text')}
        />
      )}
    </>
  );
}
