/**
 * uPlot's own style sheet, adopted into the document when the first
 * report chart is drawn. It comes as text from the package (so it matches
 * the library's version) and goes in as a constructed sheet: the admin
 * page's CSP (style-src 'self') refuses inline <style> elements.
 */
import css from 'uplot/dist/uPlot.min.css';
import { adoptDocumentStyles } from '../../../shared/styles.js';

export const adoptUplotStyles = (): void => adoptDocumentStyles(css);
