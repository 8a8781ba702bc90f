// Buffer management over the runtime's TLSF allocator (runtime "minimal"): freed blocks are
// reused and every block is 16-byte aligned, so SIMD loads from a buffer's start are aligned.

/** A zero-filled block of `bytes` bytes. Aborts (caught in JS as OutOfMemoryError) if it cannot grow. */
export function alloc(bytes: usize): usize {
  // A zero-byte request still gets a real block so every live buffer has a distinct pointer.
  const size: usize = bytes < 16 ? <usize>16 : bytes;
  const ptr = heap.alloc(size);
  memory.fill(ptr, 0, size);
  return ptr;
}

/** Returns a block from `alloc` to the allocator. */
export function free(ptr: usize): void {
  heap.free(ptr);
}
