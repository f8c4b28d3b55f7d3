import { cn } from "./cn";

/** A refusal or failure the reader must see now (role="alert"). */
export function ErrorBox({ children, className, testId }: { children: React.ReactNode; className?: string; testId?: string }) {
  return (
    <p role="alert" data-testid={testId} className={cn("rounded-lg bg-red-50 p-3 text-sm text-red-700", className)}>
      {children}
    </p>
  );
}

/** Something that went through ("saved"), announced politely (role="status"). */
export function SuccessBox({ children, className, testId }: { children: React.ReactNode; className?: string; testId?: string }) {
  return (
    <p role="status" data-testid={testId} className={cn("rounded-lg bg-emerald-50 p-3 text-sm text-emerald-800", className)}>
      {children}
    </p>
  );
}
