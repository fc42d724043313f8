import { describe, expect, it } from 'vitest'
import {
  ABANDONED_AGGREGATION_QUEUE,
  MalformedJobError,
  parsePayload,
  PROVISION_QUEUE,
  SOURCE_AGGREGATION_QUEUE,
} from './job-payloads.js'

describe('parsePayload', () => {
  it.each([
    [PROVISION_QUEUE, { sourceId: 's1' }],
    [SOURCE_AGGREGATION_QUEUE, { taskId: 't1' }],
    [ABANDONED_AGGREGATION_QUEUE, { taskId: 't1' }],
    ['schedule.0.aggregate.HR', { task: 'aggregate', source: 'HR' }],
    ['schedule.1.process', { task: 'process', source: null }],
  ] as const)('takes a well-formed payload of %s', (queue, data) => {
    expect(parsePayload(queue, data)).toEqual(data)
  })

  it.each([
    [PROVISION_QUEUE, { source: 's1' }, /queue "provision": sourceId: .*expected string/i],
    [PROVISION_QUEUE, null, /queue "provision": \(payload\): .*expected object/i],
    [SOURCE_AGGREGATION_QUEUE, { taskId: '' }, /queue "source-aggregation": taskId: .*>=1/],
    ['schedule.0.aggregate.HR', { task: 'sweep', source: 'HR' }, /queue "schedule.0.aggregate.HR": task: /],
  ] as const)('refuses a malformed payload of %s, naming the queue and the field', (queue, data, message) => {
    expect(() => parsePayload(queue, data)).toThrow(MalformedJobError)
    expect(() => parsePayload(queue, data)).toThrow(message)
  })
})
