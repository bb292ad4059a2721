"""Views and inputs that know nothing of the window around them: the canvas, charts, the prediction and
network views, the autograd graph, the misread-digits gallery, the status label and colour maps."""
