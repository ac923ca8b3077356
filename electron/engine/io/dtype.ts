/** safetensors dtypes and their sizes. Float dtypes are decoded to float32 for compute. */
export type FloatDtype = 'F64' | 'F32' | 'F16' | 'BF16';
export type RawDtype = 'I64' | 'I32' | 'I16' | 'I8' | 'U64' | 'U32' | 'U16' | 'U8' | 'BOOL';
export type Dtype = FloatDtype | RawDtype;

export const DTYPE_SIZE: Readonly<Record<Dtype, number>> = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U64: 8,
  U32: 4,
  U16: 2,
  U8: 1,
  BOOL: 1,
};

const FLOAT: ReadonlySet<string> = new Set(['F64', 'F32', 'F16', 'BF16']);

export function isDtype(s: string): s is Dtype {
  return Object.prototype.hasOwnProperty.call(DTYPE_SIZE, s);
}

export function isFloatDtype(s: string): s is FloatDtype {
  return FLOAT.has(s);
}

/** torch_dtype names in config.json. */
export const TORCH_DTYPE: Readonly<Record<FloatDtype, string>> = {
  F64: 'float64',
  F32: 'float32',
  F16: 'float16',
  BF16: 'bfloat16',
};

/** Recipe spellings (mergekit's dtype / out_dtype) to safetensors dtypes. */
export function parseRecipeDtype(s: string): FloatDtype | undefined {
  switch (s.toLowerCase()) {
    case 'float32':
    case 'fp32':
    case 'f32':
      return 'F32';
    case 'float16':
    case 'fp16':
    case 'f16':
    case 'half':
      return 'F16';
    case 'bfloat16':
    case 'bf16':
      return 'BF16';
    case 'float64':
    case 'fp64':
    case 'f64':
      return 'F64';
    default:
      return undefined;
  }
}
