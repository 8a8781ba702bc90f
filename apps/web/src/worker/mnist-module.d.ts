// The `mnist` package ships no types; the worker only hands its module to @vgp/nn's setMnistSource.
declare module 'mnist';
