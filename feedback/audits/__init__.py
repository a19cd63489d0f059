"""Case-file audits: the safeguarding unit draws a reproducible random sample of closed enquiries, scores each
against the MSP checklist and grades it; the comments reach the practitioner and their manager on the enquiry
page. Models live in feedback.models (AuditSample, AuditSampleItem, CaseFileAudit)."""
