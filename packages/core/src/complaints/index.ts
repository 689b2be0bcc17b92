export * from './closeComplaint.ts';
export * from './complaintHandoff.ts';
export * from './complaints.ts';
export * from './openComplaint.ts';
