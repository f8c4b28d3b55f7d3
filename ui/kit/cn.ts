import { clsx, type ClassValue } from "clsx";
import { twMerge } from "tailwind-merge";

/** Class names joined, later Tailwind utilities winning over earlier ones (a caller's `h-11` replaces the kit's `h-12`). */
export function cn(...values: ClassValue[]): string {
  return twMerge(clsx(values));
}
