import { describe, expect, it } from 'vitest';
import { isComplaintHandoff } from './complaintHandoff.ts';

describe('isComplaintHandoff', () => {
  it('reads the bot’s urgency reasons: complaints and threats are complaints', () => {
    expect(isComplaintHandoff('urgency:complaint')).toBe(true);
    expect(isComplaintHandoff('urgency:complaint,regulator_threat')).toBe(true);
    expect(isComplaintHandoff('urgency:legal_threat')).toBe(true);
    expect(isComplaintHandoff('urgency:repeat_contact,media_threat')).toBe(true);
    expect(isComplaintHandoff('complaint')).toBe(true);
  });

  it('leaves other hand-offs alone', () => {
    expect(isComplaintHandoff('urgency:safety')).toBe(false);
    expect(isComplaintHandoff('urgency:emergency_repair,repeat_contact')).toBe(false);
    expect(isComplaintHandoff('urgency:high')).toBe(false);
    expect(isComplaintHandoff('customer_request')).toBe(false);
    expect(isComplaintHandoff('negative_sentiment')).toBe(false);
    expect(isComplaintHandoff('fallback')).toBe(false);
    expect(isComplaintHandoff(null)).toBe(false);
  });
});
