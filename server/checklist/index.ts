export { requireDepartment } from "./access";
export { dashboardSummary, type DashboardDepartment, type DashboardSummary } from "./dashboard";
export { getDraft, normalizeQuantityInput, saveDraftLine, submitDraft, type Draft, type DraftLine, type SavedLine, type SubmittedRequest } from "./drafts";
export { loadDepartmentChecklist } from "./load";
export { decodeChecklist, explain, withDraftQuantity, type ChecklistProduct, type ChecklistRow, type ChecklistWire, type DepartmentChecklist, type SuggestionExplanation } from "./wire";
