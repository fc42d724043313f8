import type { Campaign } from '../../domain/certifications/campaign.js'
import type { Certification } from '../../store/certifications.js'
import type { NotificationKind, NotificationMessage } from '../notifications/queue-notification.js'

/** A message to a certification's reviewer (or `to`, an escalation's new reviewer) about its campaign. */
export function certificationMessage(
  kind: Extract<NotificationKind, `CERTIFICATION_${string}`>,
  campaign: Campaign,
  cert: Certification,
  extra: Readonly<Record<string, unknown>> = {},
  to: string = cert.reviewerId,
): NotificationMessage {
  return {
    kind,
    recipients: [to],
    data: {
      campaignId: campaign.id,
      campaignName: campaign.name,
      certificationId: cert.id,
      description: campaign.description,
      dueDate: campaign.deadline,
      link: `/v3/certifications/${cert.id}`,
      ...extra,
    },
    regarding: { campaignId: campaign.id, certificationId: cert.id },
  }
}
