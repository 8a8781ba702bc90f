import './components/vgp-app.js';
