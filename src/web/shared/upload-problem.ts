/** Why an upload failed, for a page to say in its words (a file of its own: the widget's transcript, tested in Node, names it). */
export type UploadProblem = 'too_large' | 'type' | 'space' | 'busy' | 'network' | 'refused';
