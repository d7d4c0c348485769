// Real-world check with qs from npm (fixtures/real-world/qs.json): see check-library.ts.
import { checkRealWorldLibrary } from './check-library.js';

checkRealWorldLibrary('qs');
