import { compileConcat, compileFirstValid, compileJoin, compileLookup } from './combining-transforms.js'
import { compileDateCompare, compileDateFormat, compileDateMath } from './date-transforms.js'
import {
  compileAccountAttribute,
  compileDisplayName,
  compileIdentityAttribute,
} from './identity-transforms.js'
import {
  compileE164Phone,
  compileIso3166,
  compileNormalizeNames,
  compileRfc5646,
} from './locale-transforms.js'
import { compileRandomAlphaNumeric, compileRandomNumeric, compileUuid } from './random-transforms.js'
import { compileRule } from './rule-transform.js'
import {
  compileBase64Decode,
  compileBase64Encode,
  compileDecomposeDiacriticalMarks,
  compileIndexOfTransform,
  compileLastIndexOf,
  compileLeftPad,
  compileLower,
  compileReplace,
  compileReplaceAll,
  compileRightPad,
  compileSplit,
  compileSubstring,
  compileTrim,
  compileUpper,
} from './string-transforms.js'
import { compileConditional, compileStatic } from './template-transforms.js'
import type { Evaluator, TransformNode } from './transform-node.js'
import { compileUsernameGenerator } from './username-generator.js'

/** Compiles one definition of its type: reads and checks the attributes, returns the evaluator. */
export type TransformCompiler = (node: TransformNode) => Evaluator

const compileReference: TransformCompiler = (node) => {
  const target = node.session.compileReference(node.string('id'), node)
  const input = node.optionalValue('input')
  if (input === undefined) return target
  // An explicit input becomes the referenced transform's implicit input.
  return (ctx) => target({ ...ctx, input: input(ctx) })
}

/** Every transform type of the reference product (the v3 `Transform.type` enum) and its compiler. */
export const TRANSFORM_COMPILERS: Readonly<Record<string, TransformCompiler>> = {
  accountAttribute: compileAccountAttribute,
  base64Decode: compileBase64Decode,
  base64Encode: compileBase64Encode,
  concat: compileConcat,
  conditional: compileConditional,
  dateCompare: compileDateCompare,
  dateFormat: compileDateFormat,
  dateMath: compileDateMath,
  decomposeDiacriticalMarks: compileDecomposeDiacriticalMarks,
  e164phone: compileE164Phone,
  firstValid: compileFirstValid,
  rule: compileRule,
  identityAttribute: compileIdentityAttribute,
  indexOf: compileIndexOfTransform,
  iso3166: compileIso3166,
  join: compileJoin,
  lastIndexOf: compileLastIndexOf,
  leftPad: compileLeftPad,
  lookup: compileLookup,
  lower: compileLower,
  normalizeNames: compileNormalizeNames,
  randomAlphaNumeric: compileRandomAlphaNumeric,
  randomNumeric: compileRandomNumeric,
  reference: compileReference,
  replaceAll: compileReplaceAll,
  replace: compileReplace,
  rightPad: compileRightPad,
  split: compileSplit,
  static: compileStatic,
  substring: compileSubstring,
  trim: compileTrim,
  upper: compileUpper,
  usernameGenerator: compileUsernameGenerator,
  uuid: compileUuid,
  displayName: compileDisplayName,
  rfc5646: compileRfc5646,
}

export const TRANSFORM_TYPES: readonly string[] = Object.keys(TRANSFORM_COMPILERS)
