"""Files every page shares: the small script that makes charts interactive on request, and the local
copy of plotly.js (the one the plotly Python package ships) it loads, never a CDN."""
from __future__ import annotations

from pathlib import Path

import plotly

PLOTLY_JS = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"

# Nothing runs until a reader presses a chart's button: then plotly.min.js (about 4.6 MB) and that
# chart's figure.js load from this site, the static image gives way to the live chart, and the
# status line says what happens (for screen readers too). The embed snippet gets this page's
# absolute address where the build could not know it.
SITE_JS = r"""(function(){
"use strict";
var loaded={};
function load(src){
  if(!loaded[src]){loaded[src]=new Promise(function(ok,fail){
    var s=document.createElement("script");s.src=src;s.onload=ok;s.onerror=function(){delete loaded[src];fail(new Error(src));};
    document.head.appendChild(s);});}
  return loaded[src];
}
function activate(btn){
  var name=btn.getAttribute("data-chart"),block=btn.closest(".chart-block"),
      live=block.querySelector(".chart-live"),img=block.querySelector("figure.chart img"),
      status=block.querySelector(".status");
  btn.disabled=true;status.textContent=btn.getAttribute("data-loading");
  load(btn.getAttribute("data-plotly")).then(function(){return load(btn.getAttribute("data-figure"));}).then(function(){
    var fig=(window.HKCCTV_FIGURES||{})[name];
    live.hidden=false;
    return window.Plotly.newPlot(live,fig.data,fig.layout,{responsive:true,displaylogo:false});
  }).then(function(){if(img){img.hidden=true;}btn.hidden=true;status.textContent="";})
  .catch(function(){btn.disabled=false;live.hidden=true;status.textContent=btn.getAttribute("data-failed");});
}
function init(){
  var buttons=document.querySelectorAll("button.interact");
  for(var i=0;i<buttons.length;i++){
    buttons[i].hidden=false;
    buttons[i].addEventListener("click",function(e){activate(e.currentTarget);});
  }
  var codes=document.querySelectorAll("code.embed-snippet");
  for(var j=0;j<codes.length;j++){
    var c=codes[j];
    if(c.getAttribute("data-absolute")){continue;}
    var here=new URL(".",window.location.href).href;
    c.textContent=c.textContent.replace('src="'+c.getAttribute("data-embed-src")+'"','src="'+here+'"');
  }
}
if(document.readyState==="loading"){document.addEventListener("DOMContentLoaded",init);}else{init();}
})();
"""


def write_assets(site) -> None:
    site.add("assets/site.js", SITE_JS)
    site.add("assets/plotly.min.js", PLOTLY_JS.read_bytes())
