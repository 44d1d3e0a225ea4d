file(REMOVE_RECURSE
  "CMakeFiles/LatentRulesNative.dir/src/autograd.cpp.o"
  "CMakeFiles/LatentRulesNative.dir/src/autograd.cpp.o.d"
  "CMakeFiles/LatentRulesNative.dir/src/create.cpp.o"
  "CMakeFiles/LatentRulesNative.dir/src/create.cpp.o.d"
  "CMakeFiles/LatentRulesNative.dir/src/errors.cpp.o"
  "CMakeFiles/LatentRulesNative.dir/src/errors.cpp.o.d"
  "CMakeFiles/LatentRulesNative.dir/src/handles.cpp.o"
  "CMakeFiles/LatentRulesNative.dir/src/handles.cpp.o.d"
  "CMakeFiles/LatentRulesNative.dir/src/info.cpp.o"
  "CMakeFiles/LatentRulesNative.dir/src/info.cpp.o.d"
  "CMakeFiles/LatentRulesNative.dir/src/inplace.cpp.o"
  "CMakeFiles/LatentRulesNative.dir/src/inplace.cpp.o.d"
  "CMakeFiles/LatentRulesNative.dir/src/math.cpp.o"
  "CMakeFiles/LatentRulesNative.dir/src/math.cpp.o.d"
  "CMakeFiles/LatentRulesNative.dir/src/nn.cpp.o"
  "CMakeFiles/LatentRulesNative.dir/src/nn.cpp.o.d"
  "CMakeFiles/LatentRulesNative.dir/src/reduce.cpp.o"
  "CMakeFiles/LatentRulesNative.dir/src/reduce.cpp.o.d"
  "CMakeFiles/LatentRulesNative.dir/src/runtime.cpp.o"
  "CMakeFiles/LatentRulesNative.dir/src/runtime.cpp.o.d"
  "CMakeFiles/LatentRulesNative.dir/src/shape.cpp.o"
  "CMakeFiles/LatentRulesNative.dir/src/shape.cpp.o.d"
  "libLatentRulesNative.pdb"
  "libLatentRulesNative.so"
)

# Per-language clean rules from dependency scanning.
foreach(lang CXX)
  include(CMakeFiles/LatentRulesNative.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
