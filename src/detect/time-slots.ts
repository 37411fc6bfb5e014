/** The day in 5-minute slots, the grain of every time-of-day memory of the detector. */
export const DAY_MS = 86_400_000;
export const SLOTS = 288;
export const SLOT_MS = DAY_MS / SLOTS;
