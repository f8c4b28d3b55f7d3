import { forwardRef } from "react";
import { cn } from "./cn";

export type ButtonVariant = "primary" | "secondary" | "danger" | "quiet";

const VARIANT: Record<ButtonVariant, string> = {
  primary: "bg-emerald-600 text-white",
  secondary: "border border-slate-300 bg-white text-slate-800",
  danger: "border border-red-300 bg-white text-red-700",
  quiet: "bg-slate-100 text-slate-800",
};

/** The classes of a button, for links that look like one. */
export function buttonClass(variant: ButtonVariant = "primary", className?: string): string {
  return cn("inline-flex h-12 items-center justify-center rounded-lg px-4 text-base font-semibold disabled:opacity-60", VARIANT[variant], className);
}

type Props = React.ButtonHTMLAttributes<HTMLButtonElement> & { variant?: ButtonVariant };

/** type="button" unless said otherwise: a button inside a form must not submit it by accident. */
export const Button = forwardRef<HTMLButtonElement, Props>(function Button({ variant = "primary", className, type = "button", ...rest }, ref) {
  return <button ref={ref} type={type} className={buttonClass(variant, className)} {...rest} />;
});
