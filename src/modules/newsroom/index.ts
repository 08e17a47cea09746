export { adminPage, csrfField } from './newsroom.views.js';
