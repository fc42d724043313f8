import { describe, expect, it } from 'vitest'
import { compileTransform, evaluateTransform } from './compile-transform.js'
import type { TransformContext, TransformDefinition } from './transform-types.js'

const hrAttr = (attributeName: string): TransformDefinition => ({
  type: 'accountAttribute',
  attributes: { sourceName: 'HR Source', attributeName },
})
const withHr = (attributes: Record<string, unknown>): TransformContext => ({
  accounts: [{ sourceName: 'HR Source', nativeIdentity: 'E1', attributes }],
})

describe('static', () => {
  it('docs structure: "Employee" is a constant', () => {
    const compiled = compileTransform({ type: 'static', attributes: { value: 'Employee' } })
    expect(compiled.evaluate({})).toBe('Employee')
    expect(compiled.evaluate({ input: 'ignored' })).toBe('Employee')
  })

  it('docs: "$workerType" from a named variable (HR empType)', () => {
    const def: TransformDefinition = {
      type: 'static',
      attributes: { workerType: hrAttr('empType'), value: '$workerType' },
    }
    expect(evaluateTransform(def, withHr({ empType: 'Contractor' }))).toBe('Contractor')
  })

  const fullTime: TransformDefinition = {
    type: 'static',
    attributes: {
      workerType: hrAttr('empType'),
      value: "#if($workerType=='Employee')Full-Time#{else}Contingent#end",
    },
  }
  it.each([
    ['docs: #if Employee → Full-Time', 'Employee', 'Full-Time'],
    ['docs: #else → Contingent', 'Contractor', 'Contingent'],
    ['docs: a null variable is false in #if → Contingent', null, 'Contingent'],
  ] as const)('%s', (_name, empType, expected) => {
    expect(evaluateTransform(fullTime, withHr({ empType }))).toBe(expected)
  })

  it('docs: "$displayName@yourdomain.com" reads an earlier field of the account profile', () => {
    expect(
      evaluateTransform(
        { type: 'static', attributes: { value: '$displayName@yourdomain.com' } },
        { fields: { displayName: 'jdoe' } },
      ),
    ).toBe('jdoe@yourdomain.com')
  })

  it('#elseif, ${var} and Java string methods', () => {
    const def: TransformDefinition = {
      type: 'static',
      attributes: {
        fn: 'john',
        ln: 'SMITH',
        dept: 'it',
        value:
          "#if($dept.equalsIgnoreCase('HR'))H#elseif($dept.equals('it'))${fn.substring(0,1).toUpperCase()}.${ln.toLowerCase()}-$fn.length()#{else}X#end",
      },
    }
    expect(evaluateTransform(def, {})).toBe('J.smith-4')
  })

  it('Java replaceAll, contains, isEmpty, split in templates', () => {
    const def: TransformDefinition = {
      type: 'static',
      attributes: {
        mail: 'John.Doe@corp.example',
        value: "$mail.replaceAll('@.*$', '')|$mail.contains('corp')|$mail.isEmpty()|$mail.split('[.@]')[1]",
      },
    }
    expect(evaluateTransform(def, {})).toBe('John.Doe|true|false|Doe')
  })

  it('$identity and $manager are visible', () => {
    const def: TransformDefinition = {
      type: 'static',
      attributes: {
        value:
          "$identity.firstname $identity.getAttribute('lastname') / $manager.email / $identity.manager.attributes.email",
      },
    }
    expect(
      evaluateTransform(def, {
        identity: { firstname: 'Ann', lastname: 'Lee' },
        manager: { email: 'boss@x' },
      }),
    ).toBe('Ann Lee / boss@x / boss@x')
  })

  it('a named variable wins over an account-profile field of the same name', () => {
    const def: TransformDefinition = { type: 'static', attributes: { x: 'variable', value: '$x' } }
    expect(evaluateTransform(def, { fields: { x: 'field' } })).toBe('variable')
  })

  it('a null reference is an error naming it; $!ref renders nothing', () => {
    expect(() => evaluateTransform({ type: 'static', attributes: { value: 'x$missing' } }, {})).toThrow(
      'static: $missing in value has no value',
    )
    expect(evaluateTransform({ type: 'static', attributes: { value: 'x$!missing' } }, {})).toBe('x')
  })

  it('hints at ${} when Velocity reads a "-" into a name', () => {
    const def: TransformDefinition = { type: 'static', attributes: { fn: 'a', ln: 'b', value: '$fn-$ln' } }
    expect(() => evaluateTransform(def, {})).toThrow(
      /\$fn- in value has no value \(Velocity reads "-" as part of a name/,
    )
    expect(evaluateTransform({ ...def, attributes: { ...def.attributes, value: '${fn}-$ln' } }, {})).toBe(
      'a-b',
    )
  })

  it('a nested variable failure keeps its own message', () => {
    const def: TransformDefinition = {
      type: 'static',
      attributes: { r: { type: 'lookup', attributes: { table: { a: 'b' } } }, value: '$r' },
    }
    expect(() => evaluateTransform(def, { input: 'zz' })).toThrow(
      'lookup: no entry for "zz" and no "default"',
    )
  })

  it('only the variables a template reads are evaluated', () => {
    const def: TransformDefinition = {
      type: 'static',
      attributes: {
        used: 'u',
        unused: { type: 'lookup', attributes: { table: { nope: 'x' } } },
        value: '$used',
      },
    }
    // The unused lookup would throw for this input; it is never evaluated.
    expect(evaluateTransform(def, { input: 'no match' })).toBe('u')
  })

  it('the same compiled template renders many times with state reset (#foreach, #set, #stop)', () => {
    const compiled = compileTransform({
      type: 'static',
      attributes: {
        value: '#set($n = 0)#foreach($g in $groups)#set($n = $n + 1)$g;#end$n#if($n > 5)#stop()#end!',
      },
    })
    expect(compiled.evaluate({ fields: { groups: ['a', 'b'] } })).toBe('a;b;2!')
    expect(compiled.evaluate({ fields: { groups: ['c'] } })).toBe('c;1!')
    expect(compiled.evaluate({ fields: { groups: ['1', '2', '3', '4', '5', '6'] } })).toBe('1;2;3;4;5;6;6')
    expect(compiled.evaluate({ fields: { groups: [] } })).toBe('0!')
  })

  it('refuses invalid Velocity when compiling', () => {
    expect(() => compileTransform({ type: 'static', attributes: { value: '#if($a' } })).toThrow(
      /^static: attributes.value is not a valid Velocity template/,
    )
  })

  it('requires value', () => {
    expect(() => compileTransform({ type: 'static', attributes: {} })).toThrow(
      'static: missing required attribute attributes.value',
    )
  })
})

describe('conditional', () => {
  it('docs structure: "foo eq foo" → positiveCondition', () => {
    const compiled = compileTransform({
      type: 'conditional',
      attributes: { expression: 'foo eq foo', positiveCondition: 'true', negativeCondition: 'false' },
    })
    expect(compiled.evaluate({})).toBe('true')
  })

  const science: TransformDefinition = {
    type: 'conditional',
    attributes: {
      expression: '$department eq Science',
      positiveCondition: 'true',
      negativeCondition: 'false',
      department: hrAttr('department'),
    },
  }
  it.each([
    ['docs: department Science → "true"', 'Science', 'true'],
    ['docs: other department → "false"', 'Engineering', 'false'],
    ['docs: case-sensitive ("science" ≠ "Science")', 'science', 'false'],
  ] as const)('%s', (_name, department, expected) => {
    expect(evaluateTransform(science, withHr({ department }))).toBe(expected)
  })

  it('docs: null operand → IllegalArgumentException', () => {
    expect(() => evaluateTransform(science, withHr({}))).toThrow(
      'conditional: IllegalArgumentException: $department in expression has no value',
    )
  })

  it('docs: branches from variables that are transforms ($scienceBuilding / $adminBuilding)', () => {
    const def: TransformDefinition = {
      type: 'conditional',
      attributes: {
        expression: '$department eq Science',
        positiveCondition: '$scienceBuilding',
        negativeCondition: '$adminBuilding',
        department: hrAttr('department'),
        scienceBuilding: { type: 'static', attributes: { value: 'Building S' } },
        adminBuilding: { type: 'static', attributes: { value: 'Building A' } },
      },
    }
    expect(evaluateTransform(def, withHr({ department: 'Science' }))).toBe('Building S')
    expect(evaluateTransform(def, withHr({ department: 'Sales' }))).toBe('Building A')
  })

  it('a variable shared by expression and branch is evaluated once', () => {
    let reads = 0
    const def: TransformDefinition = {
      type: 'conditional',
      attributes: {
        expression: '$d eq x',
        positiveCondition: 'yes $d',
        negativeCondition: 'no $d',
        d: { type: 'identityAttribute', attributes: { name: 'd' } },
      },
    }
    const identity = {
      get d() {
        reads++
        return 'x'
      },
    }
    expect(evaluateTransform(def, { identity })).toBe('yes x')
    expect(reads).toBe(1)
  })

  it('docs: only "eq" is accepted', () => {
    expect(() =>
      compileTransform({
        type: 'conditional',
        attributes: { expression: 'a ne b', positiveCondition: 'x', negativeCondition: 'y' },
      }),
    ).toThrow(/^conditional: expression must have the form "ValueA eq ValueB"/)
  })

  it('requires positiveCondition and negativeCondition', () => {
    expect(() =>
      compileTransform({ type: 'conditional', attributes: { expression: 'a eq a', positiveCondition: 'x' } }),
    ).toThrow('conditional: missing required attribute attributes.negativeCondition')
  })
})
