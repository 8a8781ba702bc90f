/**
 * Every error vgp throws on purpose is a `VgpError`; subclasses say what kind of input was wrong.
 * Messages say what to change, not only what went wrong.
 */
export class VgpError extends Error {
  /** `'VgpError'`, so logs and `error.name` checks tell the kinds apart. */
  override name = 'VgpError';
}

/** A tensor or buffer had the wrong shape or length. */
export class ShapeError extends VgpError {
  /** `'ShapeError'`, so logs and `error.name` checks tell the kinds apart. */
  override name = 'ShapeError';
}

/** A configuration value (option, spec field, argument) is invalid. */
export class ConfigError extends VgpError {
  /** `'ConfigError'`, so logs and `error.name` checks tell the kinds apart. */
  override name = 'ConfigError';
}

/** The WASM heap could not grow to hold a requested buffer. */
export class OutOfMemoryError extends VgpError {
  /** `'OutOfMemoryError'`, so logs and `error.name` checks tell the kinds apart. */
  override name = 'OutOfMemoryError';
}
