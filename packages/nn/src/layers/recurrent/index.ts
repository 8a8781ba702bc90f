export { GRU } from './gru.js';
export { LSTM, type LstmOptions } from './lstm.js';
export { type RecurrentCell, RecurrentLayer, type RecurrentOptions } from './recurrent-layer.js';
export { RNN, type RnnOptions } from './rnn.js';
