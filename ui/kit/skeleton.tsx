import { cn } from "./cn";

/** A grey block where content is loading; `className` gives its height. */
export function Skeleton({ className }: { className?: string }) {
  return <div aria-hidden="true" className={cn("h-20 animate-pulse rounded-2xl bg-slate-200", className)} />;
}
