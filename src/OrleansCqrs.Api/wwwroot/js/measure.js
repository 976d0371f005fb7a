// What the page measured, readable from outside (the browser tests): each command's time from its answer to its
// effect on the screen. Only numbers, no data.
export const readYourWrites = [];
globalThis.orleansCqrsPage = Object.freeze({ readYourWrites });
