export * from './campaign.ts';
export * from './createCampaign.ts';
export * from './planDialing.ts';
export * from './quietHours.ts';
export * from './repository.ts';
export * from './surveyAnswer.ts';
