export { requireDepartment } from "./access";
export { dashboardSummary, type DashboardDepartment, type DashboardSummary } from "./dashboard";
export { getDraft, normalizeQuantityInput, saveDraftLine, submitDraft, type Draft, type DraftLine, type SavedLine, type SubmittedRequest } from "./drafts";
export { loadDepartmentChecklist, OPEN_ORDER_STATUSES, type ChecklistProduct, type DepartmentChecklist, type SuggestionExplanation } from "./load";
