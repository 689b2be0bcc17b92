export * from './answerSurvey.ts';
export * from './reviewSurveyAnswer.ts';
export * from './scheduleSurvey.ts';
export * from './sendSurvey.ts';
export * from './surveys.ts';
export * from './surveyText.ts';
