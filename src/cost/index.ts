export { costAssumptions, costCurve, costRatios, defaultCurveVolumes, projectCosts, type CostInputs, type TierUsageForCost } from './model.ts';
export { defaultPriceSheetPath, loadPriceSheet, type PriceSheet } from './price-sheet.ts';
