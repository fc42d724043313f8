export { compileTransform, evaluateTransform, type CompileTransformOptions } from './compile-transform.js'
export { TRANSFORM_TYPES } from './transform-registry.js'
export { toTransformValue } from './transform-value.js'
export type {
  CompiledTransform,
  TransformAccount,
  TransformContext,
  TransformDefinition,
  TransformResolver,
  TransformValue,
} from './transform-types.js'
