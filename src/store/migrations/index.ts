import { sql as initial } from './0001-initial.js'
import { sql as plans } from './0002-plans.js'
import { sql as incremental } from './0003-incremental.js'
import { sql as execution } from './0004-execution.js'
import { sql as claimIndexes } from './0005-claim-indexes.js'
import { sql as unreadableJson } from './0006-unreadable-json.js'
import { sql as configVersions } from './0007-config-versions.js'
import { sql as assignments } from './0008-assignments.js'
import { sql as asyncTasks } from './0009-async-tasks.js'
import { sql as auth } from './0010-auth.js'
import { sql as audit } from './0011-audit.js'
import { sql as signIn } from './0012-sign-in.js'
import { sql as accessRequests } from './0013-access-requests.js'
import { sql as notifications } from './0014-notifications.js'
import { sql as entitlementRequestability } from './0015-entitlement-requestability.js'
import { sql as requestOutcomes } from './0016-request-outcomes.js'
import { sql as claimOrder } from './0017-claim-order-and-request-paging.js'
import { sql as certifications } from './0018-certifications.js'
import { sql as certificationTasks } from './0019-certification-tasks.js'
import { sql as manualTaskActivities } from './0020-manual-task-activities.js'
import { sql as remediationQueue } from './0022-remediation-queue.js'
import { sql as campaignReports } from './0024-campaign-reports.js'

/** Versioned schema migrations, applied in order and recorded in `schema_migrations`. Never edit one that has shipped. */
export const migrations: readonly { version: number; name: string; sql: string }[] = [
  { version: 1, name: 'initial', sql: initial },
  { version: 2, name: 'plans', sql: plans },
  { version: 3, name: 'incremental', sql: incremental },
  { version: 4, name: 'execution', sql: execution },
  { version: 5, name: 'claim-indexes', sql: claimIndexes },
  { version: 6, name: 'unreadable-json', sql: unreadableJson },
  { version: 7, name: 'config-versions', sql: configVersions },
  { version: 8, name: 'assignments', sql: assignments },
  { version: 9, name: 'async-tasks', sql: asyncTasks },
  { version: 10, name: 'auth', sql: auth },
  { version: 11, name: 'audit', sql: audit },
  { version: 12, name: 'sign-in', sql: signIn },
  { version: 13, name: 'access-requests', sql: accessRequests },
  { version: 14, name: 'notifications', sql: notifications },
  { version: 15, name: 'entitlement-requestability', sql: entitlementRequestability },
  { version: 16, name: 'request-outcomes', sql: requestOutcomes },
  { version: 17, name: 'claim-order-and-request-paging', sql: claimOrder },
  { version: 18, name: 'certifications', sql: certifications },
  { version: 19, name: 'certification-tasks', sql: certificationTasks },
  { version: 20, name: 'manual-task-activities', sql: manualTaskActivities },
  { version: 22, name: 'remediation-queue', sql: remediationQueue },
  { version: 24, name: 'campaign-reports', sql: campaignReports },
]
