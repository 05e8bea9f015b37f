export { architectureChoiceSchema, defaultArchitectureChoice, loadAllArchitectures, loadChosenArchitectures, type Architecture, type ArchitectureChoice } from './architecture.ts';
export { breakEvens, seedStory, warStory, type BreakEven, type WarStory } from './break-even.ts';
export { costAssumptions, costCurve, costRatios, defaultCurveVolumes, priceVariants, projectCosts, type CostInputs, type CostLine, type TierUsageForCost } from './model.ts';
export { defaultPriceSheetPath, loadPriceSheet, type PriceSheet } from './price-sheet.ts';
export { orderFlip, sensitivity, type SensitivityRow } from './sensitivity.ts';
export {
  lakehouseAssumptions,
  lakehouseOptions,
  projectLakehouseCosts,
  type LakehouseCost,
  type LakehouseCostInputs,
  type LakehouseOption,
  type LakehouseOptionCost,
  type LakehouseStepUsage,
  type LakehouseZoneUsage,
} from './lakehouse.ts';
export { defaultWarehouseSheetPath, loadWarehouseSheet, type WarehousePriceSheet } from './warehouse-sheet.ts';
