// Values vite.config.ts writes into the app at build time (its `define`).

/** The build hash's placeholder, overwritten with the hash after the build (scripts/buildHash.ts). */
declare const __HEARTH_BUILD_STAMP__: string;
/** The relay's signaling URL when the app is served from another host (HEARTH_RELAY), else ''. */
declare const __HEARTH_RELAY__: string;
